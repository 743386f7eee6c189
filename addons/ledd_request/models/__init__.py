from . import (
    ledd_mail_sender_mixin,
    ledd_request,
    ledd_request_hop,
    ledd_request_router,
    ledd_unit,
    ledd_unit_type,
    mail_thread,
)
