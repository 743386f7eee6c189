from . import test_activity, test_dashboard_tour, test_figures_contract, test_snapshot, test_target_wave
