from . import test_support_figures
