from . import ledd_unit, membership_line, res_partner
