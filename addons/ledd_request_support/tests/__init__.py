from . import test_login_doctor
