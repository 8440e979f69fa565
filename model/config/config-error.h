/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_CONFIG_ERROR_H
#define FORTIGATE_CONFIG_ERROR_H

#include <stdexcept>

namespace ns3
{

/**
 * \ingroup fortigate
 * \brief Thrown when configuration input is invalid; the message names the
 * object and the field. The configuration is left unchanged.
 */
class ConfigError : public std::invalid_argument
{
  public:
    using std::invalid_argument::invalid_argument;
};

} // namespace ns3

#endif // FORTIGATE_CONFIG_ERROR_H
