from . import ir_rule, ledd_role, ledd_role_type, ledd_unit, ledd_unit_type, mail_message, res_partner, res_users
