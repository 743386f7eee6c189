from . import (
    ir_http,
    ledd_adoption_figures_mixin,
    ledd_adoption_snapshot,
    ledd_adoption_target,
    ledd_rollout_wave,
    ledd_unit,
    ledd_unit_type,
    ledd_user_activity,
    res_users,
)
