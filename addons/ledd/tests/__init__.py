from . import test_accessibility, test_screenshots
