package dev.lockstep.salesforce.client.bulk;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.http.SalesforceHttp.Streamed;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of a Bulk result, read as they arrive: one CSV chunk is open at a time, each row is parsed when the
 * iterator reaches it, and the next chunk ({@code Sforce-Locator}) is requested only when the current one is used
 * up. Memory stays at one row plus a read buffer whatever the result's size, as long as the caller does not keep
 * the rows. Close it (or use {@link #stream} in try-with-resources) when stopping early, to free the connection.
 *
 * <p>Not thread-safe: one consumer.
 *
 * @param <T> the row type
 */
public final class BulkRows<T> implements Iterator<T>, AutoCloseable {

    /** Turns one CSV row into a value, given the chunk's header. */
    @FunctionalInterface
    interface RowMapper<T> {
        /** Called once per chunk with its header; returns the mapper of that chunk's rows. */
        Function<List<String>, T> forHeader(List<String> header);
    }

    /** Literal {@code Sforce-Locator} of the last chunk (reference §4.2). */
    private static final String NO_MORE = "null";

    private final Function<String, Streamed> fetch;
    private final RowMapper<T> mapper;
    private final String what;
    private String locator;
    private boolean lastChunk;
    private Streamed chunk;
    private CsvReader reader;
    private Function<List<String>, T> rowMapper;
    private int width;
    private T next;
    private long chunks;
    private long rows;
    /** The locator that fetched the chunk being read (null for the first chunk), and rows handed out from it. */
    private String chunkLocator;
    private long rowsInChunk;

    /**
     * @param fetch opens the chunk a locator names (null for the first); a chunk without an {@code Sforce-Locator}
     *     header is the only one
     * @param what names the result in messages
     */
    BulkRows(Function<String, Streamed> fetch, RowMapper<T> mapper, String what) {
        this(fetch, mapper, what, null);
    }

    /** As above, starting at the chunk {@code startLocator} names (null for the first). */
    BulkRows(Function<String, Streamed> fetch, RowMapper<T> mapper, String what, String startLocator) {
        this.fetch = fetch;
        this.mapper = mapper;
        this.what = what;
        this.locator = startLocator;
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                if (reader == null && !openNextChunk()) {
                    return false;
                }
                List<String> row = reader.next();
                if (row == null) {
                    closeChunk();
                    continue;
                }
                if (row.size() != width) {
                    throw new SalesforceException(ErrorCategory.FATAL, 0, null, what + ": row " + (rows + 1)
                            + " has " + row.size() + " values for " + width + " columns");
                }
                rows++;
                rowsInChunk++;
                next = rowMapper.apply(row);
            }
            return true;
        } catch (IOException e) {
            close();
            // The chunk could be fetched again (a locator stays valid while the job exists), but rows of it have
            // been handed out already; the caller decides whether to start over.
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, what + ": reading chunk " + chunks
                    + " failed after " + rows + " rows: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private boolean openNextChunk() throws IOException {
        while (!lastChunk) {
            chunkLocator = locator;
            rowsInChunk = 0;
            chunk = fetch.apply(locator);
            chunks++;
            String nextLocator = chunk.headers().firstValue("Sforce-Locator").orElse(NO_MORE);
            lastChunk = nextLocator.isEmpty() || nextLocator.equals(NO_MORE);
            locator = nextLocator;
            reader = CsvReader.utf8(chunk.body());
            List<String> header = reader.next();
            if (header != null) {
                width = header.size();
                rowMapper = mapper.forHeader(header);
                return true;
            }
            // An empty chunk (no header at all): nothing to read in it, try the next.
            closeChunk();
        }
        return false;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T row = next;
        next = null;
        return row;
    }

    /** The rows as a lazy sequential stream; closing the stream closes this. */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(this::close);
    }

    /** Chunks requested so far. */
    public long chunks() {
        return chunks;
    }

    /** Rows read so far. */
    public long rows() {
        return rows;
    }

    /**
     * The locator of the chunk the last row came from, null for the first chunk: with {@link #rowsInChunk()} it is a
     * resumable position ({@code BulkApi.typedResults(job, locator)}, then skip that many rows), valid while the job
     * exists, because a locator can be fetched again.
     */
    public String chunkLocator() {
        return chunkLocator;
    }

    /** Rows read from the current chunk so far (including the last one returned). */
    public long rowsInChunk() {
        return rowsInChunk;
    }

    private void closeChunk() throws IOException {
        Streamed open = chunk;
        chunk = null;
        reader = null;
        if (open != null) {
            open.close();
        }
    }

    /** Frees the open chunk's connection; the iterator then ends. */
    @Override
    public void close() {
        lastChunk = true;
        next = null;
        try {
            closeChunk();
        } catch (IOException e) {
            // The rest of the chunk is being given up anyway; a failure to close its connection loses nothing.
            chunk = null;
        }
    }
}
