from . import test_generator
