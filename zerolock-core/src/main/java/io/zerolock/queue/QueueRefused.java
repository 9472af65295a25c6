package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;

/** Something the queue will not take or do, with why; nothing was changed. */
public final class QueueRefused extends ZerolockException {

    private static final long serialVersionUID = 1L;

    public QueueRefused(String message) {
        super(ErrorCode.REFUSED, message);
    }
}
