from . import test_request_figures
