from . import test_escalation, test_portal, test_routing, test_scope, test_sender
