// The part of the `smpp` package (0.5) that mscore uses; the package ships no types.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A decoded PDU: header fields plus the command's parameters and TLVs by their spec names. */
    interface PDU {
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
      [field: string]: any;
    }

    /** short_message and message_payload as the package decodes them. */
    interface DecodedMessage {
      udh?: Buffer[];
      message: string | Buffer;
    }

    type PduCallback = (pdu: PDU) => void;
    type Command = (options?: Record<string, unknown>, onResponse?: PduCallback, onSent?: PduCallback) => boolean;

    interface Session extends EventEmitter {
      socket: Socket;
      /** false when the socket is no longer writable */
      send(pdu: PDU, onResponse?: PduCallback, onSent?: PduCallback): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      bind_transceiver: Command;
      submit_sm: Command;
      deliver_sm: Command;
      enquire_link: Command;
      unbind: Command;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }
  }

  const smpp: {
    connect(options: { host: string; port: number }): smpp.Session;
    createServer(listener: (session: smpp.Session) => void): smpp.Server;
    /** GSM 03.38 default alphabet, one septet per octet (table 0 is the default one) */
    gsmCoder: { encode(text: string, table?: number): Buffer; decode(bytes: Buffer, table?: number): string };
    /** command_status values by name (ESME_ROK, ESME_RTHROTTLED, ...) */
    errors: Record<string, number>;
  };

  export = smpp;
}
