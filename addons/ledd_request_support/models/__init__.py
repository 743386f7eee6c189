from . import ledd_request
