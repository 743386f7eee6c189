# The commands of README.md; all logic lives in tools/ledd.py.
PYTHON ?= python3
LEDD = $(PYTHON) tools/ledd.py

.PHONY: run test lint reset env bench i18n screenshots
run:    ## Odoo 18 with the suite and a demo organisation on http://localhost:8069
	$(LEDD) run
test:   ## every test and check
	$(LEDD) test
lint:   ## ruff + pylint-odoo only
	$(LEDD) lint
reset:  ## drop the `make run` database
	$(LEDD) reset
env:    ## prepare Odoo source, virtualenv and PostgreSQL; print where they are
	$(LEDD) env
i18n:   ## export .pot files and merge new terms into nb.po
	$(LEDD) i18n
screenshots:  ## README screenshots (Norwegian UI) into docs/screenshots
	$(LEDD) screenshots
bench:  ## benchmark on the L demo organisation (built once: several minutes), prints ratios
	$(LEDD) bench
