from . import test_audit_log, test_doctor, test_portal, test_service, test_wizard
