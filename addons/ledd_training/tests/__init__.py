from . import test_actions, test_assignment, test_completion, test_onboarding, test_portal, test_reminders, test_scope
