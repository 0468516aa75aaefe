import { Controller, Get, SetMetadata, UseGuards } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AuOwnerGuard } from './au-owner.guard';
import { auController, auRouteDecorators } from './au-routes';

class AppGuard {
  canActivate() {
    return true;
  }
}

@Controller('things')
class SharedController {
  @Get(':id')
  read(id: string) {
    return `read ${id}`;
  }

  helper() {
    return 'not a route';
  }
}

describe('auController', () => {
  it('decorates the routes of a subclass, and leaves the shared class as it was', () => {
    const app = auController(SharedController, { decorators: [UseGuards(AppGuard), SetMetadata('roles', ['admin'])], ownerScoped: true });
    const route = app.prototype.read;
    expect(route).not.toBe(SharedController.prototype.read);
    expect(Reflect.getMetadata(GUARDS_METADATA, route)).toEqual([AppGuard, AuOwnerGuard]);
    expect(Reflect.getMetadata('roles', route)).toEqual(['admin']);
    expect(Reflect.getMetadata(PATH_METADATA, route)).toBe(':id');
    expect(Reflect.getMetadata(METHOD_METADATA, route)).toBe(Reflect.getMetadata(METHOD_METADATA, SharedController.prototype.read));
    expect(Reflect.getMetadata(GUARDS_METADATA, SharedController.prototype.read)).toBeUndefined();
    expect(Reflect.getMetadata('roles', SharedController.prototype.read)).toBeUndefined();
    expect(app.prototype.helper).toBe(SharedController.prototype.helper);
    expect(app.name).toBe('SharedController');
    expect(new app().read('7')).toBe('read 7');
  });

  it('gives two module definitions subclasses that do not see each other\'s decorators', () => {
    const first = auController(SharedController, { decorators: [SetMetadata('roles', ['a'])], ownerScoped: false });
    const second = auController(SharedController, { ownerScoped: true });
    expect(Reflect.getMetadata('roles', first.prototype.read)).toEqual(['a']);
    expect(Reflect.getMetadata(GUARDS_METADATA, first.prototype.read)).toBeUndefined();
    expect(Reflect.getMetadata('roles', second.prototype.read)).toBeUndefined();
    expect(Reflect.getMetadata(GUARDS_METADATA, second.prototype.read)).toEqual([AuOwnerGuard]);
  });
});

describe('auRouteDecorators', () => {
  it('puts the app\'s decorators first, the route\'s own next, and the owner guard last when an owner may be set', () => {
    const target = { route() {} };
    const descriptor = Object.getOwnPropertyDescriptor(target, 'route')!;
    class RouteGuard {}
    for (const decorate of auRouteDecorators({ decorators: [UseGuards(AppGuard)], ownerScoped: true }, [UseGuards(RouteGuard)])) {
      decorate(target, 'route', descriptor);
    }
    expect(Reflect.getMetadata(GUARDS_METADATA, target.route)).toEqual([AppGuard, RouteGuard, AuOwnerGuard]);
    expect(auRouteDecorators({ ownerScoped: false })).toEqual([]);
  });
});
