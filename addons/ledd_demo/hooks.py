import logging

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """Generate the demo organisation in the size LEDD_DEMO_SIZE (or the system
    parameter ``ledd_demo.size``) asks for, S by default."""
    generator = env["ledd.demo.generator"]
    if generator._ledd_demo_exists():
        _logger.info("ledd_demo: the demo organisation exists already, nothing generated")
        return
    generator.generate()
