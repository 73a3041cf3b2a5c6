# Compiles every storage/migrations/<dialect>/NNNN_name.sql into the binary, so that a deployed
# schedulerd needs no files beside it to create or upgrade its schema.
file(GLOB SCHEDULERD_MIGRATION_FILES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/storage/migrations/postgres/*.sql
  ${CMAKE_SOURCE_DIR}/storage/migrations/sqlite/*.sql)
set(SCHEDULERD_MIGRATIONS_CPP ${CMAKE_BINARY_DIR}/generated/migrations_data.cpp)
add_custom_command(
  OUTPUT ${SCHEDULERD_MIGRATIONS_CPP}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${SCHEDULERD_MIGRATIONS_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/generate_migrations.cmake
  DEPENDS ${SCHEDULERD_MIGRATION_FILES} ${CMAKE_SOURCE_DIR}/cmake/generate_migrations.cmake
  COMMENT "Embedding SQL migrations")
