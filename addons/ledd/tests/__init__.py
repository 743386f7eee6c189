from . import test_access_matrix, test_accessibility, test_screenshots
