from . import ledd_adoption_snapshot
