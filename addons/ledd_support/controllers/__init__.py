from . import main, portal, request_portal
