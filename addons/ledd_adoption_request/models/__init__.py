from . import ledd_adoption_snapshot, ledd_request
