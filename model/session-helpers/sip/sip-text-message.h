/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_TEXT_MESSAGE_H
#define FORTIGATE_SIP_TEXT_MESSAGE_H

#include "sip-message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * An outgoing SIP message as text: start line, header fields in order, body. ToString() writes
 * `Name: value` lines with CRLF and a Content-Length equal to the body (any Content-Length
 * header set by hand is dropped). Used by SipUserAgent and SipRegistrar to build what they send;
 * parsing is SipMessage's job.
 */
class SipTextMessage
{
  public:
    /// \return a request `<method> <uri> SIP/2.0`
    static SipTextMessage Request(std::string_view method, std::string_view uri);
    /// \return a response `SIP/2.0 <code> <reason>` (reason empty: ReasonPhrase())
    static SipTextMessage Response(uint32_t code, std::string_view reason = "");
    /**
     * A copy of a parsed message: its start line, every header (compact names expanded, folded
     * values joined; each Via and Route value as a header field of its own so one can be
     * removed) and its body. Content-Length is dropped (ToString writes it).
     * \param msg the parsed message
     * \param data the bytes it was parsed from
     */
    static SipTextMessage FromParsed(const SipMessage& msg, const uint8_t* data);

    /// Replace the start line.
    void SetStartLine(std::string_view line);
    /// \return the start line
    const std::string& GetStartLine() const;
    /// Append a header field.
    void AddHeader(std::string_view name, std::string_view value);
    /// Insert a header field before every other one (a proxy's Via).
    void PrependHeader(std::string_view name, std::string_view value);
    /// Insert a header field before the first one named \p before (append if none).
    void InsertHeaderBefore(std::string_view before, std::string_view name, std::string_view value);
    /// Set the first header named \p name (case-insensitive), or append it.
    void SetHeader(std::string_view name, std::string_view value);
    /// Remove every header named \p name. \return how many
    std::size_t RemoveHeaders(std::string_view name);
    /// Remove the first header named \p name. \return true when one was removed
    bool RemoveFirstHeader(std::string_view name);
    /// \return the value of the first header named \p name ("" when none)
    std::string GetHeader(std::string_view name) const;
    /// \return every header field in order
    const std::vector<std::pair<std::string, std::string>>& GetHeaders() const;
    /// Set the body and its Content-Type (empty type: no Content-Type header).
    void SetBody(std::string_view body, std::string_view contentType);
    /// \return the body
    const std::string& GetBody() const;
    /// \return the message text (Content-Length last among the headers)
    std::string ToString() const;

  private:
    std::string m_startLine;                                    //!< without CRLF
    std::vector<std::pair<std::string, std::string>> m_headers; //!< name, value
    std::string m_body;                                         //!< body bytes
};

} // namespace ns3

#endif // FORTIGATE_SIP_TEXT_MESSAGE_H
