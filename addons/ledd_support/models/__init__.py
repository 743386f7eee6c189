# isort: skip_file
# The service model is defined before the files that extend it.
from . import ledd_support_log
from . import ledd_support_service
from . import ledd_support_actions
from . import ledd_support_doctor
from . import ledd_support_help_queue
from . import res_partner
from . import res_users
from . import mail_mail
from . import ledd_unit_type
from . import ledd_unit
from . import mail_thread
from . import ledd_support_request
from . import ledd_support_request_routing
from . import ledd_support_request_hop
