# Helpers so every folder declares its library, unit tests and fuzz targets the same way.

# bulwark_unit_test(NAME SOURCES... LIBS ...): one GoogleTest binary registered with ctest.
function(bulwark_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit)
endfunction()

# bulwark_fuzz_target(NAME SOURCE CORPUS_DIR LIBS ...):
#  - with BULWARK_FUZZ (clang): a libFuzzer binary NAME;
#  - always: NAME_corpus, the same entry point driven over the seed corpus, registered with ctest,
#    so every seed runs in every build (including the sanitizer build).
function(bulwark_fuzz_target name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "LIBS" ${ARGN})
  add_executable(${name}_corpus ${ARG_SOURCE} ${PROJECT_SOURCE_DIR}/test/fuzz/corpus_driver.cpp)
  target_link_libraries(${name}_corpus PRIVATE ${ARG_LIBS})
  add_test(NAME ${name}_corpus COMMAND ${name}_corpus ${ARG_CORPUS})
  set_tests_properties(${name}_corpus PROPERTIES LABELS fuzz)
  if(BULWARK_FUZZ)
    add_executable(${name} ${ARG_SOURCE})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    # The manifest scripts/test.sh reads to run every fuzzer: name, binary, corpus, dictionary.
    get_filename_component(corpus ${ARG_CORPUS} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set(dict "")
    string(REGEX REPLACE "_fuzz$" "" stem ${name})
    file(GLOB dicts ${CMAKE_CURRENT_SOURCE_DIR}/*.dict)
    foreach(candidate ${CMAKE_CURRENT_SOURCE_DIR}/${name}.dict ${CMAKE_CURRENT_SOURCE_DIR}/${stem}.dict ${dicts})
      if(dict STREQUAL "" AND EXISTS ${candidate})
        set(dict ${candidate})
      endif()
    endforeach()
    file(APPEND ${PROJECT_BINARY_DIR}/fuzz_targets.txt "${name} ${CMAKE_CURRENT_BINARY_DIR}/${name} ${corpus} ${dict}\n")
  endif()
endfunction()
