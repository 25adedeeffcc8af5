from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401


def test_emulator_up(emulator, run_module):
    assert emulator.url.startswith('http://127.0.0.1')
