# schedulerd_embed_text(<out-var> INPUT <file> HEADER <header> FUNCTION <qualified name>) compiles
# <file> (relative to the source tree) into the binary: it sets <out-var> to a generated C++ file
# that includes <header> and defines `std::string_view <qualified name>()` returning the file's
# bytes; add it to a target with target_sources. The same idea as embed_migrations.cmake, for one
# file, so a deployed schedulerd needs no data files beside it.
function(schedulerd_embed_text out_var)
  cmake_parse_arguments(PARSE_ARGV 1 embed "" "INPUT;HEADER;FUNCTION" "")
  get_filename_component(stem ${embed_INPUT} NAME_WE)
  set(output ${CMAKE_BINARY_DIR}/generated/${stem}_data.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DINPUT=${embed_INPUT} -DOUTPUT=${output}
            -DHEADER=${embed_HEADER} -DFUNCTION=${embed_FUNCTION}
            -P ${CMAKE_SOURCE_DIR}/cmake/generate_embedded_text.cmake
    DEPENDS ${CMAKE_SOURCE_DIR}/${embed_INPUT} ${CMAKE_SOURCE_DIR}/cmake/generate_embedded_text.cmake
    COMMENT "Embedding ${embed_INPUT}")
  set(${out_var} ${output} PARENT_SCOPE)
endfunction()
