# The two commands of the README, plus the developer targets around them.
.PHONY: run test check ci build bench lint format coverage tidy sanitize-asan sanitize-tsan fuzz clean

run:            ## install what is missing, build, serve the API on SQLite under var/
	@scripts/run

test:           ## install what is missing, build, start PostgreSQL + Redis, run every test, coverage >= 80 % (under 10 min fresh)
	@scripts/test

check:          ## every other gate: clang-tidy, cppcheck, sanitizers, fuzz, OpenAPI + contract, `make run` smoke, -O2 build
	@scripts/check

ci:             ## everything CI runs: make test, then make check, with a table of stage times
	@.ci/run

build:          ## debug build with tests into build/
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null && cmake --build build -j $$(nproc)

bench:          ## release build, then every benchmark scenario on PostgreSQL and SQLite, twice, figures beside targets
	@scripts/bench

lint:           ## clang-format check on every C++ file
	@scripts/lint

format:         ## rewrite every C++ file with clang-format
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs -r clang-format -i

coverage:       ## line coverage of the last test run (report in build/coverage/)
	@scripts/coverage build

tidy:           ## clang-tidy over every source (clean results cached by content)
	@scripts/tidy

sanitize-asan:  ## whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
	@scripts/sanitize asan

sanitize-tsan:  ## the tests without CAF actors under ThreadSanitizer (build-tsan/)
	@scripts/sanitize tsan

fuzz:           ## every libFuzzer harness for FUZZ_SECONDS each (default 300; `make check` gives each 20)
	@scripts/fuzz $${FUZZ_SECONDS:-300}

clean:
	@rm -rf build build-*
