from . import (
    ledd_onboarding_line,
    ledd_onboarding_step,
    ledd_role,
    ledd_role_type,
    ledd_training_assignment,
    ledd_training_reminder,
    ledd_training_requirement,
    ledd_training_sync,
    ledd_unit,
    slide_channel_partner,
)
