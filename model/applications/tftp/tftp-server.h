/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef FORTIGATE_TFTP_SERVER_H
#define FORTIGATE_TFTP_SERVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/tftp-parser.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup fortigate
 * TFTP server (RFC 1350) on UDP port 69.
 *
 * Every request is served from a NEW socket bound to an ephemeral port (the transfer ID), as
 * RFC 1350 requires: the reply comes from a port the client never sent to, which is why a
 * firewall needs the TFTP session helper's pinhole.
 *
 * - RRQ: files added with AddFile(), files stored by earlier WRQs, and the generated files
 *   "file-<size>" (size bytes of TftpFileByte(), produced on the fly, nothing stored).
 * - WRQ: the received file is stored under its name (an existing file is replaced).
 * - 512-byte blocks, lock-step: one DATA (or ACK) outstanding; retransmitted after Timeout, at
 *   most MaxRetries times, then the transfer is abandoned. Duplicate ACKs are ignored (no
 *   Sorcerer's Apprentice); duplicate DATA is re-acknowledged. A transfer ends on the ACK of the
 *   last (short) block; after a WRQ the server keeps the socket for Timeout * MaxRetries to
 *   re-acknowledge a retransmitted last block.
 * - Modes netascii, octet and mail are accepted; no newline conversion is done. RFC 2347
 *   options are ignored (no OACK), as the RFC allows.
 * - A packet from an unknown transfer ID gets ERROR 5; a request for a missing file gets
 *   ERROR 1 (from a new port as well).
 */
class TftpServer : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TftpServer();
    ~TftpServer() override;

    /**
     * Offer a file for RRQ (replaces a file of the same name).
     * \throws ConfigError when \p name is empty or contains a NUL byte
     */
    void AddFile(const std::string& name, const std::vector<uint8_t>& content);

    /**
     * A file added with AddFile() or stored by a WRQ (not the generated ones).
     * \return true and the content in \p content when the file exists
     */
    bool GetFile(const std::string& name, std::vector<uint8_t>& content) const;

    /// \return requests accepted (a transfer was started)
    uint32_t GetTransfersStarted() const;
    /// \return transfers that ended normally
    uint32_t GetTransfersCompleted() const;
    /// \return transfers abandoned (retries exhausted, error from the client, stop)
    uint32_t GetTransfersFailed() const;
    /// \return requests answered with ERROR (file not found, ...)
    uint32_t GetRequestsRejected() const;
    /// \return DATA/ACK retransmissions after a timeout, over all transfers
    uint32_t GetRetransmissions() const;

    /**
     * TracedCallback signature of a transfer start.
     * \param client the client's address and port
     * \param serverPort the new server port (transfer ID)
     * \param op TftpPacket::RRQ or TftpPacket::WRQ
     * \param filename the file
     */
    typedef void (*TransferStartedCallback)(const Address& client,
                                            uint16_t serverPort,
                                            uint16_t op,
                                            const std::string& filename);

    /**
     * TracedCallback signature of a transfer end.
     * \param filename the file
     * \param bytes data bytes transferred
     * \param reason empty on success, else why it failed
     */
    typedef void (*TransferEndCallback)(const std::string& filename,
                                        uint64_t bytes,
                                        const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    /// State of one transfer.
    struct Transfer
    {
        uint32_t id{0};                                      //!< key in m_transfers
        Ptr<Socket> socket;                                  //!< the transfer's own socket
        Address peer;                                        //!< client address and port
        uint16_t localPort{0};                               //!< server transfer ID
        TftpPacket::Op op{TftpPacket::RRQ};                  //!< RRQ or WRQ
        std::string filename;                                //!< the file
        std::shared_ptr<const std::vector<uint8_t>> content; //!< RRQ: stored file or null
        uint64_t size{0};                                    //!< RRQ: file size
        uint64_t blockIndex{0};        //!< RRQ: block sent; WRQ: block expected
        uint64_t lastIndex{0};         //!< RRQ: index of the last block
        std::vector<uint8_t> received; //!< WRQ: data so far
        std::vector<uint8_t> lastSent; //!< packet to retransmit
        uint32_t retries{0};           //!< retransmissions of lastSent
        EventId timer;                 //!< retransmission / dally timer
        bool finished{false};          //!< done (dallying for a WRQ)
    };

    void StartApplication() override;
    void StopApplication() override;

    /// Requests on the well-known port.
    void HandleRequest(Ptr<Socket> socket);
    /// Packets on a transfer socket.
    void HandleTransferRead(uint32_t id, Ptr<Socket> socket);
    /// Retransmission timeout of a transfer.
    void HandleTimeout(uint32_t id);
    /// Send \p bytes to the transfer's peer, remember it for retransmission and arm the timer.
    void SendAndArm(Transfer& t, std::vector<uint8_t> bytes);
    /// Send the RRQ block t.blockIndex.
    void SendBlock(Transfer& t);
    /// Send raw bytes on \p socket to \p to.
    void SendTo(Ptr<Socket> socket, const std::vector<uint8_t>& bytes, const Address& to);
    /// End a transfer (reason empty = success); \p linger keeps the socket for re-ACKs.
    void EndTransfer(uint32_t id, const std::string& reason, bool linger);
    /// Close and forget a transfer.
    void RemoveTransfer(uint32_t id);
    /// Open a socket on a new ephemeral port.
    Ptr<Socket> OpenEphemeral(uint16_t& port);

    uint16_t m_port;       //!< well-known port
    Time m_timeout;        //!< retransmission timeout
    uint32_t m_maxRetries; //!< retransmissions before giving up
    Ptr<Socket> m_socket;  //!< listening socket

    std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> m_files; //!< files
    std::map<uint32_t, Transfer> m_transfers; //!< active transfers by id
    uint32_t m_nextId{1};                     //!< next transfer id

    uint32_t m_started{0};     //!< transfers started
    uint32_t m_completed{0};   //!< transfers completed
    uint32_t m_failed{0};      //!< transfers failed
    uint32_t m_rejected{0};    //!< requests rejected
    uint32_t m_retransmits{0}; //!< retransmissions

    TracedCallback<const Address&, uint16_t, uint16_t, const std::string&> m_startedTrace;
    TracedCallback<const std::string&, uint64_t, const std::string&> m_endTrace;
};

} // namespace ns3

#endif // FORTIGATE_TFTP_SERVER_H
