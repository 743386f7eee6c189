from . import test_membership_figures
