from . import ledd_demo_activity, ledd_demo_generator, ledd_demo_membership, ledd_demo_people
