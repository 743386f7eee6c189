from . import ledd_adoption_snapshot, ledd_adoption_target, ledd_unit
