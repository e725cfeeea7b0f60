package dev.windowpane.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap of this JVM as the largest heap occupancy right after a garbage collection: the
 * live data (state, buffers) plus garbage not yet collected, without the young-generation
 * garbage that makes a sampled "heap used" mostly a measure of the collector's sizing. Falls back
 * to the largest sampled occupancy when no collection happened.
 */
public final class HeapMonitor {
  private static final AtomicLong peakAfterGc = new AtomicLong();
  private static final AtomicLong peakSampled = new AtomicLong();
  private static volatile boolean installed;

  private HeapMonitor() {}

  /** Listens to every collector's notifications (once per JVM). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter)) {
        continue;
      }
      ((NotificationEmitter) gc).addNotificationListener(
          (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
              return;
            }
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
              if (isHeapPool(pool.getKey())) {
                used += pool.getValue().getUsed();
              }
            }
            peakAfterGc.accumulateAndGet(used, Math::max);
          },
          null,
          null);
    }
  }

  private static final java.util.Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
          .map(java.lang.management.MemoryPoolMXBean::getName)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static boolean isHeapPool(String name) {
    return HEAP_POOLS.contains(name);
  }

  /** Starts a new measurement (collects first so the previous run's garbage does not count). */
  public static void reset() {
    System.gc();
    peakAfterGc.set(0);
    peakSampled.set(0);
  }

  /** Records the current occupancy (called periodically while a run is going). */
  public static void sample() {
    peakSampled.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
  }

  /** The peak since the last reset, in MiB. */
  public static long peakMb() {
    long after = peakAfterGc.get();
    return (after > 0 ? after : peakSampled.get()) / (1024 * 1024);
  }
}
