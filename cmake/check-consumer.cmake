# CTest test `consumer-project`: the installed package serves a project of one's own.
# Installs the built module to a temporary prefix, configures, builds and runs
# examples/consumer against it, and checks the pkg-config file resolves.
# cmake -DBUILD_DIR=<module build> -DSOURCE_DIR=<module source> -DWORK=<scratch> -P this-file
foreach(_v BUILD_DIR SOURCE_DIR WORK)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "check-consumer: ${_v} not given")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check-consumer: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(_f include/ns3/fortigate-module.h include/ns3/fortigate-helper.h
           lib/cmake/ns3-fortigate/ns3-fortigate-config.cmake lib/pkgconfig/ns3-fortigate.pc)
  if(NOT EXISTS ${prefix}/${_f})
    message(FATAL_ERROR "check-consumer: ${_f} was not installed")
  endif()
endforeach()

find_program(_ccache ccache)
set(_launcher)
if(_ccache)
  set(_launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${_ccache})
endif()
run("configuring examples/consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer
    -B ${WORK}/build -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=RelWithDebInfo ${_launcher})
run("building examples/consumer" ${CMAKE_COMMAND} --build ${WORK}/build)
run("running fortigate-consumer" ${WORK}/build/fortigate-consumer)
if(NOT last_output MATCHES "\nsummary: echo_replies=5/5 snat=yes")
  message(FATAL_ERROR "check-consumer: unexpected output:\n${last_output}")
endif()
message(STATUS "fortigate-consumer: ${last_output}")

find_program(_pkgconfig pkg-config)
if(_pkgconfig)
  set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
  run("pkg-config ns3-fortigate" ${_pkgconfig} --cflags --libs ns3-fortigate)
  if(NOT last_output MATCHES "-lfortigate" OR NOT last_output MATCHES "-lns3-core")
    message(FATAL_ERROR "check-consumer: pkg-config gave: ${last_output}")
  endif()
endif()
