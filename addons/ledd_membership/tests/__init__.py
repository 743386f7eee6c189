from . import test_membership_counts, test_membership_scope, test_membership_state, test_portal_membership
