# `cmake -DSOURCE_DIR=<repo> -P cmake/check_layers.cmake`: fails when a source folder includes a
# header it must not (docs/architecture.md, "Layers"). Every folder's headers are reachable from
# every other one (the include root is the repository) and Debian installs every third-party header
# under /usr/include, so neither the per-folder libraries nor the include path can catch a wrong
# include: this check does. CMakeLists.txt runs it at configure time and before each build.

cmake_minimum_required(VERSION 3.25)

# Project folders each folder may include from (itself always).
set(allowed_domain "")
set(allowed_log "")
# metrics/ is the Prometheus instruments and text format: pure code, like domain/.
set(allowed_metrics "")
set(allowed_config domain log)
set(allowed_storage config domain log)
set(allowed_providers config domain log)
set(allowed_actors storage providers metrics config domain log)
set(allowed_services actors storage providers metrics config domain log)
# http/ asks service and infrastructure actors; it never reaches storage/ or providers/.
set(allowed_http services actors metrics config domain log)
set(allowed_app http services actors storage providers metrics config domain log)

# Third-party headers (the start of the include's name) each folder must not include.
set(backends "pqxx/" "sqlite3.h" "hiredis/")
set(forbidden_domain "caf/" "restinio/" "curl/" "nlohmann/" "fmt/" ${backends})
set(forbidden_metrics "caf/" "restinio/" "curl/" "nlohmann/" "fmt/" "openssl/" "argon2.h" ${backends})
set(forbidden_log "caf/" "restinio/" "curl/" "openssl/" "argon2.h" ${backends})
set(forbidden_config "caf/" "restinio/" "curl/" "argon2.h" ${backends})
set(forbidden_storage "caf/" "restinio/" "curl/" "argon2.h")
set(forbidden_providers "caf/" "restinio/" "argon2.h" ${backends})
set(forbidden_actors "restinio/" "curl/" ${backends})
set(forbidden_services "restinio/" "curl/" ${backends})
set(forbidden_http "curl/" ${backends})
set(forbidden_app "restinio/" "curl/" ${backends})

set(folders domain log metrics config storage providers actors services http app)
set(violations "")
foreach(folder ${folders})
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.hpp")
  foreach(source ${sources})
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    file(RELATIVE_PATH shown "${SOURCE_DIR}" "${source}")
    foreach(line ${includes})
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]*)[>\"].*$" "\\1" header "${line}")
      if(line MATCHES "include[ \t]*\"([a-z_]+)/")
        set(target_folder "${CMAKE_MATCH_1}")
        if(target_folder IN_LIST folders AND NOT target_folder STREQUAL folder AND
           NOT target_folder IN_LIST allowed_${folder})
          list(APPEND violations "${shown}: ${folder}/ must not include \"${header}\"")
        endif()
      endif()
      foreach(prefix "catch2/" ${forbidden_${folder}})
        string(FIND "${header}" "${prefix}" at)
        if(at EQUAL 0)
          list(APPEND violations "${shown}: ${folder}/ must not include <${header}>")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "Layer violations (docs/architecture.md, \"Layers\"):\n  ${text}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
