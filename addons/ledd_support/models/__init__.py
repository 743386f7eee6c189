from . import (
    ledd_support_doctor,
    ledd_support_help_queue,
    ledd_support_log,
    ledd_support_log_chain,
    ledd_support_mail,
    ledd_support_rate_limit,
    ledd_support_scope,
    ledd_support_service,
    mail_mail,
    res_partner,
    res_users,
)
