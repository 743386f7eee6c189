from . import ledd_support_request, ledd_support_request_hop, ledd_support_request_routing, ledd_unit, ledd_unit_type
