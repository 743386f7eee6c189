from . import request_portal
