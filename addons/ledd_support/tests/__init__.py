from . import (
    test_audit_chain,
    test_audit_log,
    test_doctor,
    test_links,
    test_portal,
    test_public_page,
    test_service,
    test_wizard,
)
