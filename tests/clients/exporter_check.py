#!/usr/bin/python3
"""Debian's prometheus-redis-exporter scrapes strata-server: no scrape error, and every metric
it exports for redis-server 7.0 is there. usage: exporter_check.py PORT (prints `ok ...` or `FAIL ...`)."""
import socket
import subprocess
import sys
import time
import urllib.request

import redis

port = int(sys.argv[1])
# An expiring key and an error reply, so that avg_ttl and errorstats have something to show.
client = redis.Redis(port=port)
client.set("exporter:ttl", "1", ex=100)
try:
    client.execute_command("NOSUCHCOMMAND")
except redis.ResponseError:
    pass
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    web = s.getsockname()[1]
exporter = subprocess.Popen(
    ["prometheus-redis-exporter", "-redis.addr", f"redis://127.0.0.1:{port}",
     "-web.listen-address", f"127.0.0.1:{web}"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
name = "prometheus-redis-exporter: scrapes with redis_exporter_last_scrape_error 0"
try:
    text = ""
    for _ in range(100):
        try:
            text = urllib.request.urlopen(f"http://127.0.0.1:{web}/metrics", timeout=5).read().decode()
            break
        except OSError:
            time.sleep(0.1)
    metrics = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            metrics[key] = value
    want = ["redis_active_defrag_running", "redis_allocator_active_bytes",
            "redis_allocator_allocated_bytes", "redis_allocator_frag_bytes",
            "redis_allocator_frag_ratio", "redis_allocator_resident_bytes",
            "redis_allocator_rss_bytes", "redis_allocator_rss_ratio",
            "redis_aof_current_rewrite_duration_sec", "redis_aof_enabled",
            "redis_aof_last_bgrewrite_status", "redis_aof_last_cow_size_bytes",
            "redis_aof_last_rewrite_duration_sec", "redis_aof_last_write_status",
            "redis_aof_rewrite_in_progress", "redis_aof_rewrite_scheduled",
            "redis_blocked_clients", "redis_client_recent_max_input_buffer_bytes",
            "redis_client_recent_max_output_buffer_bytes", "redis_clients_in_timeout_table",
            "redis_cluster_connections", "redis_cluster_enabled",
            "redis_commands_duration_seconds_total", "redis_commands_failed_calls_total",
            "redis_commands_processed_total", "redis_commands_rejected_calls_total",
            "redis_commands_total", "redis_config_io_threads", "redis_config_maxclients",
            "redis_config_maxmemory", "redis_connected_clients", "redis_connected_slaves",
            "redis_connections_received_total", "redis_cpu_sys_children_seconds_total",
            "redis_cpu_sys_main_thread_seconds_total", "redis_cpu_sys_seconds_total",
            "redis_cpu_user_children_seconds_total", "redis_cpu_user_main_thread_seconds_total",
            "redis_cpu_user_seconds_total", "redis_db_avg_ttl_seconds", "redis_db_keys",
            "redis_db_keys_expiring", "redis_defrag_hits", "redis_defrag_key_hits",
            "redis_defrag_key_misses", "redis_defrag_misses", "redis_dump_payload_sanitizations",
            "redis_errors_total", "redis_evicted_keys_total", "redis_expired_keys_total",
            "redis_expired_stale_percentage", "redis_expired_time_cap_reached_total",
            "redis_exporter_build_info", "redis_exporter_last_scrape_connect_time_seconds",
            "redis_exporter_last_scrape_duration_seconds", "redis_exporter_last_scrape_error",
            "redis_exporter_scrape_duration_seconds_count",
            "redis_exporter_scrape_duration_seconds_sum", "redis_exporter_scrapes_total",
            "redis_instance_info", "redis_io_threaded_reads_processed",
            "redis_io_threaded_writes_processed", "redis_io_threads_active",
            "redis_keyspace_hits_total", "redis_keyspace_misses_total",
            "redis_last_key_groups_scrape_duration_milliseconds", "redis_latency_percentiles_usec",
            "redis_last_slow_execution_duration_seconds", "redis_latest_fork_seconds",
            "redis_lazyfree_pending_objects", "redis_loading_dump_file",
            "redis_master_repl_offset", "redis_mem_clients_normal", "redis_mem_clients_slaves",
            "redis_mem_fragmentation_bytes", "redis_mem_fragmentation_ratio",
            "redis_mem_not_counted_for_eviction_bytes", "redis_memory_max_bytes",
            "redis_memory_used_bytes", "redis_memory_used_dataset_bytes",
            "redis_memory_used_lua_bytes", "redis_memory_used_overhead_bytes",
            "redis_memory_used_peak_bytes", "redis_memory_used_rss_bytes",
            "redis_memory_used_scripts_bytes", "redis_memory_used_startup_bytes",
            "redis_migrate_cached_sockets_total", "redis_module_fork_in_progress",
            "redis_module_fork_last_cow_size", "redis_net_input_bytes_total",
            "redis_net_output_bytes_total", "redis_number_of_cached_scripts", "redis_process_id",
            "redis_pubsub_channels", "redis_pubsub_patterns", "redis_rdb_bgsave_in_progress",
            "redis_rdb_changes_since_last_save", "redis_rdb_current_bgsave_duration_sec",
            "redis_rdb_last_bgsave_duration_sec", "redis_rdb_last_bgsave_status",
            "redis_rdb_last_cow_size_bytes", "redis_rdb_last_save_timestamp_seconds",
            "redis_rejected_connections_total", "redis_repl_backlog_first_byte_offset",
            "redis_repl_backlog_history_bytes", "redis_repl_backlog_is_active",
            "redis_replica_partial_resync_accepted", "redis_replica_partial_resync_denied",
            "redis_replica_resyncs_full", "redis_replication_backlog_bytes",
            "redis_second_repl_offset", "redis_slave_expires_tracked_keys",
            "redis_slowlog_last_id", "redis_slowlog_length", "redis_start_time_seconds",
            "redis_target_scrape_request_errors_total", "redis_total_error_replies",
            "redis_total_reads_processed", "redis_total_writes_processed",
            "redis_tracking_clients", "redis_tracking_total_items", "redis_tracking_total_keys",
            "redis_tracking_total_prefixes", "redis_unexpected_error_replies", "redis_up",
            "redis_uptime_in_seconds"]
    present = {key.split("{")[0] for key in metrics}
    missing = [m for m in want if m not in present]
    errors = metrics.get('redis_exporter_last_scrape_error{err=""}')
    if missing or errors != "0" or metrics.get("redis_up") != "1":
        print(f"FAIL {name}: missing {missing}, scrape error {errors}, up {metrics.get('redis_up')}")
        sys.exit(1)
    print(f"ok {name}")
finally:
    exporter.terminate()
    exporter.wait()
