from . import (
    test_audit_log,
    test_doctor,
    test_portal,
    test_request_escalation,
    test_request_portal,
    test_request_routing,
    test_request_scope,
    test_service,
    test_wizard,
)
