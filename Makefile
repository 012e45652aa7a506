VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m compileall -q ir passes tools >/dev/null  # start-up stays fast where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/irc opt examples/demo.mlir --ad --canonicalize --cse
	$(VENV)/bin/irc run examples/demo.mlir --entry main --arg 0.5 --arg 2.0 --json

test: $(STAMP)
	$(PY) -m pytest -n auto tests

fuzz: $(STAMP)
	IRC_FUZZ_EXAMPLES=100000 $(PY) -m pytest -n auto tests/test_fuzz.py

bench: $(STAMP)
	$(VENV)/bin/irc bench parse

clean:
	rm -rf $(VENV) build *.egg-info
