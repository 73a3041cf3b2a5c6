# The two commands of the README, plus the developer targets around them.
.PHONY: run test build lint format clean

run:            ## install what is missing, build, serve the API on SQLite under var/
	@scripts/run

test:           ## install what is missing, build, start PostgreSQL + Redis, run every test
	@scripts/test

build:          ## debug build with tests into build/
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null && cmake --build build -j $$(nproc)

lint:           ## clang-format check on every C++ file
	@scripts/lint

format:         ## rewrite every C++ file with clang-format
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs -r clang-format -i

clean:
	@rm -rf build build-*
