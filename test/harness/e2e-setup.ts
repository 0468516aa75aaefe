// e2e specs start processes and servers; give each test a minute (failures still fail, they just may take longer).
jest.setTimeout(60_000);
