from . import test_request_escalation, test_request_portal, test_request_routing, test_request_scope
