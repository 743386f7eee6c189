from . import ledd_support_wizard
