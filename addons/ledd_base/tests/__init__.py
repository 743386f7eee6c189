from . import test_portal, test_role_rights, test_scope, test_unit
