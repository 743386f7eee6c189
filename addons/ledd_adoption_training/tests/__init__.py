from . import test_training_figures
