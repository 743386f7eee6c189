from . import (
    test_portal,
    test_portal_access,
    test_role_dates,
    test_role_rights,
    test_scope,
    test_unit,
    test_unit_structure,
)
