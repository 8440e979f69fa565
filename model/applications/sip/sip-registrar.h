/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_SIP_REGISTRAR_H
#define FORTIGATE_SIP_REGISTRAR_H

#include "sip-transport.h"

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/sip-text-message.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * One registered contact.
 */
struct SipBinding
{
    std::string user;           //!< user part of the address-of-record (To of the REGISTER)
    std::string aor;            //!< the To URI as written
    std::string contact;        //!< the Contact URI as it arrived (after any NAT/ALG rewrite)
    bool contactIsIpv4{false};  //!< the Contact host is a dotted quad
    Ipv4Address contactAddress; //!< its host (when contactIsIpv4)
    uint16_t contactPort{5060}; //!< its port (5060 when absent)
    Ipv4Address sourceAddress;  //!< where the REGISTER came from (as seen by the registrar)
    uint16_t sourcePort{0};     //!< its source port
    bool tcp{false};            //!< registered over TCP
    uint32_t expires{0};        //!< granted expiry (seconds)
    Time registeredAt;          //!< first REGISTER of this binding
    Time updatedAt;             //!< last refresh
    Time expiresAt;             //!< updatedAt + expires
    uint32_t refreshes{0};      //!< REGISTERs after the first
    std::string callId;         //!< Call-ID of the last REGISTER
    uint32_t cseq{0};           //!< its CSeq

    /// \return true when the Contact differs from where the REGISTER came from (NAT)
    bool BehindNat() const;
};

/**
 * \ingroup fortigate
 * What a SipRegistrar did.
 */
struct SipRegistrarStats
{
    uint64_t registers{0};          //!< REGISTER requests received
    uint64_t registerOk{0};         //!< answered 200
    uint64_t registerRejected{0};   //!< answered 4xx
    uint64_t unregisters{0};        //!< bindings removed by expires=0
    uint64_t requestsForwarded{0};  //!< requests proxied (any method)
    uint64_t invitesForwarded{0};   //!< INVITEs proxied
    uint64_t responsesForwarded{0}; //!< responses proxied
    uint64_t notFound{0};           //!< 404 answers (user not registered)
    uint64_t tooManyHops{0};        //!< 483 answers
    uint64_t dropped{0};            //!< messages not forwarded (no route, not for us, bad)
    uint64_t optionsAnswered{0};    //!< OPTIONS to the registrar itself answered 200
};

/**
 * \ingroup fortigate
 * The provider side: a SIP registrar (RFC 3261 §10) and a stateless proxy (§16.11) on one port,
 * UDP and TCP.
 *
 * REGISTER stores each Contact as it arrived together with the source address:port of the
 * request; `expires=0` (or `Contact: *`) removes bindings; an expiry below MinExpires gets 423,
 * above MaxExpires is lowered. The 200 lists the user's current bindings with `;expires=`.
 *
 * Requests other than REGISTER are proxied: the top Route naming the proxy is removed, a
 * Request-URI for a registered user (`sip:bob@<domain>`) is replaced with the binding's
 * Contact, Max-Forwards is decremented (483 at 0), the proxy's Via is added with a branch
 * derived from the incoming one (so retransmissions, CANCEL and the ACK of a non-2xx match
 * downstream), and a Record-Route (`;lr`) when RecordRoute is set. A Request-URI whose host is
 * an IPv4 address (an in-dialog request to a Contact) is forwarded to that address.
 * An unknown user gets 404.
 *
 * Responses to requests the proxy sent (RFC 3261 §18.2.1, RFC 3581): the top Via of a request
 * gets `received=` when its sent-by differs from the source and `rport=<source port>` when the
 * client asked for rport, so responses find their way back through a NAT.
 *
 * Where requests to a registered user go: the Contact's address:port by default. This is what
 * makes NAT visible: a phone behind a NAT without a SIP helper/ALG registers a private Contact,
 * so calls to it (and in-dialog requests like BYE) are sent to a private address and never
 * arrive. With UseSourceAddress the proxy sends them to the address:port the REGISTER came from
 * instead (the "nat=yes" handling many providers do). Over TCP the connection the REGISTER
 * arrived on is reused while it is open (RFC 5923 style), whatever UseSourceAddress says.
 */
class SipRegistrar : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SipRegistrar();
    ~SipRegistrar() override;

    /// \return the bindings that have not expired, in registration order
    std::vector<SipBinding> GetBindings() const;
    /// \return true and \p user's most recent binding in \p out, false when not registered
    bool LookupBinding(const std::string& user, SipBinding& out) const;
    /// \return true when \p user has an unexpired binding
    bool IsRegistered(const std::string& user) const;
    /// \return counters
    const SipRegistrarStats& GetStats() const;
    /// \return the address the proxy writes into Via and Record-Route
    Ipv4Address GetAddress() const;
    /// \return the underlying transport
    Ptr<SipTransport> GetTransport() const;

    /**
     * TracedCallback signature for bindings.
     * \param binding the binding after the REGISTER (expires 0: removed)
     */
    typedef void (*BindingCallback)(const SipBinding& binding);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void Receive(const std::string& text,
                 const SipMessage& msg,
                 Ipv4Address from,
                 uint16_t port,
                 Ptr<Socket> conn);
    void HandleRegister(const SipMessage& msg,
                        const std::string& text,
                        Ipv4Address from,
                        uint16_t port,
                        Ptr<Socket> conn);
    void ProxyRequest(const SipMessage& msg,
                      const std::string& text,
                      Ipv4Address from,
                      uint16_t port,
                      Ptr<Socket> conn);
    void ProxyResponse(const SipMessage& msg, const std::string& text);
    /// Answer a request ourselves (to the top Via, RFC 3581 aware).
    void Respond(const SipMessage& msg,
                 const std::string& text,
                 Ipv4Address from,
                 uint16_t port,
                 Ptr<Socket> conn,
                 uint32_t code,
                 const std::vector<std::pair<std::string, std::string>>& extra = {});
    void Send(const std::string& text, Ipv4Address to, uint16_t port, bool tcp, Ptr<Socket> conn);
    /// \return true when \p uri's host:port is this proxy
    bool IsSelf(const SipUri& uri) const;
    /// \return true when \p host names our domain or address
    bool IsOurDomain(std::string_view host) const;
    /// \return the index of the binding for a contact host:port, -1 if none
    int FindBindingByContact(Ipv4Address a, uint16_t port) const;
    /// \return the index of \p user's most recent unexpired binding, -1 if none
    int FindBinding(std::string_view user) const;
    /// Remove expired bindings.
    void Purge();

    // Attributes
    uint16_t m_port;           //!< listening port (UDP and TCP)
    std::string m_domain;      //!< our domain ("" = our address)
    Ipv4Address m_address;     //!< our address in Via / Record-Route (0: own interface)
    bool m_useSource;          //!< send to where the REGISTER came from
    bool m_recordRoute;        //!< add Record-Route to dialog-creating requests
    uint32_t m_minExpires;     //!< 423 below this
    uint32_t m_maxExpires;     //!< lower to this
    uint32_t m_defaultExpires; //!< when the REGISTER gives none

    // State
    Ptr<SipTransport> m_sip;                 //!< transport
    Ipv4Address m_self;                      //!< resolved address
    std::vector<SipBinding> m_bindings;      //!< registrations
    std::vector<Ptr<Socket>> m_bindingConns; //!< TCP connection of each binding (parallel)
    SipRegistrarStats m_stats;               //!< counters

    TracedCallback<const std::string&, Ipv4Address, uint16_t> m_txTrace; //!< SipTx
    TracedCallback<const std::string&, Ipv4Address, uint16_t> m_rxTrace; //!< SipRx
    TracedCallback<const SipBinding&> m_bindingTrace;                    //!< Binding
};

} // namespace ns3

#endif // FORTIGATE_SIP_REGISTRAR_H
